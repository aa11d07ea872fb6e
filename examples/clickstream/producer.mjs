// Puts click events on the `clicks` stream:  node producer.mjs [--count N] [--poison]
// Prints what it put as JSON: clicks per page, and the sequence number of the poison record if any.
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';

const argument = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const count = Number(argument('count', '200'));
const poison = process.argv.includes('--poison');
const kinesis = new KinesisClient({
  endpoint: process.env.LAMBKIN_URL ?? 'http://127.0.0.1:4566',
  region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
  // Lambkin's local credentials unless real ones are set.
  ...(process.env.AWS_ACCESS_KEY_ID ? {} : { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
});
const pages = ['/', '/products', '/products/42', '/cart', '/checkout'];

const records = [];
const perPage = {};
for (let i = 0; i < count; i++) {
  const page = pages[i % pages.length];
  perPage[page] = (perPage[page] ?? 0) + 1;
  const click = { page, user: `user-${i % 17}`, at: new Date().toISOString() };
  records.push({ PartitionKey: click.user, Data: Buffer.from(JSON.stringify(click)) });
}
// One record that is not a click, in the middle of the others.
const poisonAt = poison ? Math.floor(records.length / 2) : -1;
if (poison) records.splice(poisonAt, 0, { PartitionKey: 'user-0', Data: Buffer.from('this is not JSON') });

let poisonSequenceNumber;
for (let i = 0; i < records.length; i += 500) {
  const out = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: records.slice(i, i + 500) }));
  if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records were not put`);
  if (poisonAt >= i && poisonAt < i + 500) poisonSequenceNumber = out.Records[poisonAt - i].SequenceNumber;
}
kinesis.destroy();
console.log(JSON.stringify({ put: records.length, perPage, ...(poison ? { poisonSequenceNumber } : {}) }));
