// A condition found at start that the operator must put right before Parley may serve:
// starting anyway would lose data or fail every request later, far from the cause.
// `problem` says what is wrong (naming the file or setting); `fix` says what to do.
export class StartupRefusal extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${problem} ${fix}`, options);
    this.name = 'StartupRefusal';
  }
}
