import AdmZip from 'adm-zip';

/** The handlers the scenarios deploy; all nodejs22.x, all trivially cheap unless asked to sleep. */
export const NO_OP = 'exports.handler = async () => null;\n';
export const PYTHON_NO_OP = 'def handler(event, context):\n    return None\n';
export const SLEEPER = `exports.handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.sleepMs ?? 0));
  return { env: process.env.AWS_LAMBDA_LOG_STREAM_NAME };
};
`;
export const ECHO = `exports.handler = async (event, context) => {
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return { id: event.id, requestId: context.awsRequestId };
};
`;

export function zipOf(source: string, fileName = 'index.js'): Uint8Array {
  const zip = new AdmZip();
  zip.addFile(fileName, Buffer.from(source));
  return new Uint8Array(zip.toBuffer());
}
