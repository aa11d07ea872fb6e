/**
 * Where a streamed function response goes while the runtime writes it (Runtime API streaming
 * mode, spec §3.1). The engine knows nothing of HTTP: a front door implements this.
 */
export interface ResponseStreamSink {
  /** The runtime began a streamed response with this content type. */
  start(contentType: string): void;
  write(chunk: Buffer): void;
  /** The stream is over; `error` when the runtime ended it with error trailers or cut it short. */
  end(error?: { errorType: string; body: Buffer }): void;
}
