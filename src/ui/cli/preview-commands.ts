/** `paperboy preview`: STUB (issue 17), replaced by the preview work. */
import type { Command } from 'commander';
import type { Io } from './context.ts';

export function registerPreviewCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  void program;
  void io;
  void setExitCode;
}
