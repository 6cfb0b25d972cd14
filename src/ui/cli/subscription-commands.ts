/** `paperboy subscription …`: STUB (issue 17), replaced by the subscription-settings work. */
import type { Command } from 'commander';
import type { Io } from './context.ts';

export function registerSubscriptionCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  void program;
  void io;
  void setExitCode;
}
