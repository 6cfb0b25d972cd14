/** Whether this process may read or write a path, asked of the OS (which knows ACLs and root). */
import { accessSync, constants } from 'node:fs';

function can(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

export const readable = (path: string): boolean => can(path, constants.R_OK);
export const writable = (path: string): boolean => can(path, constants.W_OK);
