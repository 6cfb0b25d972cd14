/** The note that ends a discussion's run stopped at its cap, and its step key. */

/** The note's step key: after the step it precedes, so each stop has its own, the same on every resend. */
export function noteKey(nextStepKey: string): string {
  return `more:${nextStepKey}`;
}

/** "*12 more replies follow in the next run.*" — `replies` counts comments, not messages. */
export function moreNote(replies: number): string {
  return `*${replies} more ${replies === 1 ? 'reply follows' : 'replies follow'} in the next run.*`;
}
