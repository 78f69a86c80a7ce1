/**
 * The kit's one error class for bad input: props, options, CLI arguments.
 * The message names what is wrong, the bad value and what is allowed; when
 * the error comes from a construct, its path leads the message.
 */
export class SrmIipError extends Error {
  /** Construct path of the construct that rejected its props, when there is one. */
  public readonly constructPath?: string;

  constructor(message: string, constructPath?: string) {
    super(constructPath ? `[${constructPath}] ${message}` : message);
    this.name = 'SrmIipError';
    this.constructPath = constructPath;
    Object.setPrototypeOf(this, SrmIipError.prototype);
  }
}
