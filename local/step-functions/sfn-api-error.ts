/**
 * An error of the Step Functions API, by the name Step Functions gives it (`ExecutionAlreadyExists`, `TaskTimedOut`,
 * …). The local endpoint answers it as the AWS JSON protocol does (`__type`), so the real SDK raises the same
 * exception class it raises against AWS.
 */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}
