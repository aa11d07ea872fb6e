import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import busboy from 'busboy';
import { errors } from '../errors.js';
import { MAX_POST_PRE_DATA_BYTES } from '../limits.js';

/**
 * Lambkin's own cap, not S3's: a `file` part sent without a filename arrives as a plain field,
 * which the parser holds in memory.
 */
const MAX_FIELD_BYTES = 1024 * 1024;

export interface FormField {
  /** As the form spelled it; S3 matches field names case-insensitively. */
  name: string;
  value: string;
}

export interface PostForm {
  /** The fields before the file, in order. Fields after the file are ignored, as S3 ignores them. */
  fields: FormField[];
  /** The `filename` of the file part; undefined when the part has none (`${filename}` then stays as is). */
  filename: string | undefined;
  /** The file's bytes, still streaming from the request. */
  file: Readable;
  /** Stops reading the form (after an answer): the rest of the request is drained unparsed. */
  release(): void;
}

/**
 * Reads a multipart/form-data body up to its `file` part and hands that part over unread, so a
 * large upload streams straight to disk. Fails as S3 does on a body that is not multipart, holds
 * no file, or carries too much before it.
 */
export function readPostForm(headers: IncomingHttpHeaders, body: Readable): Promise<PostForm> {
  let parser: busboy.Busboy;
  try {
    // latin1 keeps each field's bytes as they came; values are decoded as UTF-8 below, and a
    // `file` part that came without a filename keeps its exact bytes.
    parser = busboy({ headers, preservePath: true, defCharset: 'latin1', defParamCharset: 'utf8', limits: { fieldSize: MAX_FIELD_BYTES, fields: 1000, parts: 1000 } });
  } catch {
    return Promise.reject(errors.malformedPostRequest());
  }
  const fields: FormField[] = [];
  let preDataBytes = 0;
  let fileStream: Readable | undefined;
  let settled = false;
  let released = false;

  const release = () => {
    if (released) return;
    released = true;
    body.unpipe(parser);
    parser.removeAllListeners();
    parser.on('error', () => undefined);
    fileStream?.resume();
    body.resume();
  };

  return new Promise<PostForm>((resolve, reject) => {
    const fail = (err: Error) => {
      if (fileStream) {
        fileStream.destroy(err);
      } else if (!settled) {
        settled = true;
        reject(err);
      }
      release();
    };
    const addField = (name: string, raw: Buffer) => {
      preDataBytes += Buffer.byteLength(name) + raw.length;
      if (preDataBytes > MAX_POST_PRE_DATA_BYTES) return fail(errors.postPreDataTooLarge(MAX_POST_PRE_DATA_BYTES));
      fields.push({ name, value: raw.toString('utf8') });
    };
    const takeFile = (filename: string | undefined, stream: Readable) => {
      settled = true;
      fileStream = stream;
      resolve({ fields, filename, file: stream, release });
    };

    parser.on('field', (name, value, info) => {
      if (fileStream) return;
      const raw = Buffer.from(value, 'latin1');
      if (name.toLowerCase() !== 'file') return addField(name, raw);
      if (info.valueTruncated) return fail(errors.entityTooLarge(MAX_FIELD_BYTES + 1, MAX_FIELD_BYTES));
      const stream = new PassThrough();
      stream.end(raw);
      takeFile(undefined, stream);
    });
    parser.on('file', (name, stream, info) => {
      if (fileStream) {
        stream.resume();
        return;
      }
      if (name.toLowerCase() === 'file') return takeFile(info.filename, stream);
      // Only the part named `file` is the file: any other part is a field, whatever it declares.
      const parts: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_POST_PRE_DATA_BYTES) {
          stream.resume();
          return;
        }
        parts.push(chunk);
      });
      stream.on('end', () => (size > MAX_POST_PRE_DATA_BYTES ? fail(errors.postPreDataTooLarge(MAX_POST_PRE_DATA_BYTES)) : addField(name, Buffer.concat(parts))));
    });
    parser.on('error', () => fail(errors.malformedPostRequest()));
    parser.on('close', () => {
      if (!fileStream && !settled) fail(errors.postFileCount());
    });
    // A client that goes away mid-body leaves a file stream that would never end.
    body.on('close', () => {
      if (!body.readableEnded && !released) fail(errors.incompleteBody());
    });
    body.pipe(parser);
  });
}

/** Field lookup by name, case-insensitive; the first of repeated names wins. */
export class FormFields {
  private readonly byName = new Map<string, FormField>();

  constructor(readonly list: FormField[]) {
    for (const field of list) {
      const lower = field.name.toLowerCase();
      if (!this.byName.has(lower)) this.byName.set(lower, field);
    }
  }

  get(name: string): string | undefined {
    return this.byName.get(name.toLowerCase())?.value;
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** The fields as lower-cased headers, for the helpers PutObject uses on its request headers. */
  asHeaders(): IncomingHttpHeaders {
    const headers: IncomingHttpHeaders = {};
    for (const [name, field] of this.byName) headers[name] = field.value;
    return headers;
  }
}
