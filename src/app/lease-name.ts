/**
 * Lease names built from outside text (a feed's URL, a folder's path): used as they are when short
 * enough, or their kind and a digest when not, since a lease name is a key of at most 512 characters.
 */
import { createHash } from 'node:crypto';

/** Leaves room under the leases table's 512-character limit for the kind prefix. */
const MAX_SUBJECT = 400;

/** `kind:subject`, or `kind:sha256:<hex>` for a subject longer than MAX_SUBJECT. */
export function leaseName(kind: string, subject: string): string {
  if (subject.length <= MAX_SUBJECT) return `${kind}:${subject}`;
  return `${kind}:sha256:${createHash('sha256').update(subject).digest('hex')}`;
}
