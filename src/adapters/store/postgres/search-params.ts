/** Query parameters for the PostgreSQL search SQL, apart so that every search file can use them without importing another's. */

/** Bound parameters, numbered as they are added. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
