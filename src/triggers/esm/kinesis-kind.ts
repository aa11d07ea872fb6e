import type { StreamReader } from '../../services/kinesis/stream-reader.js';
import { EmbeddedKinesisSource } from './embedded-kinesis-source.js';
import { kinesisStreamArnOf } from './kinesis-arns.js';
import { kinesisEventFormat } from './kinesis-event.js';
import { RemoteKinesisSource } from './remote-kinesis-source.js';
import type { StreamKind } from './stream-kind.js';

/** Kinesis Data Streams as a stream mapping source: embedded streams, or a remote endpoint. */
export function kinesisStreamKind(reader: StreamReader): StreamKind {
  return {
    service: 'kinesis',
    format: kinesisEventFormat,
    streamArnOf: kinesisStreamArnOf,
    sourceFor: (streamArn, endpoint) => (endpoint ? new RemoteKinesisSource(streamArn, endpoint) : new EmbeddedKinesisSource(reader, streamArn)),
  };
}
