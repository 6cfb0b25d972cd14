#!/usr/bin/env node
// The npm bin runs the TypeScript sources directly through tsx, resolved from this package
// (not the caller's directory), so `npx paperboy` works from anywhere without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
