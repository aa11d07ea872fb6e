import type { SnsDeps } from './deps.js';
import type { SnsRendering } from './notification.js';
import { signatureVersionOf } from './signing.js';

/** The links and the signer (the topic's SignatureVersion) messages of a topic are rendered with. */
export async function renderingFor(deps: Pick<SnsDeps, 'endpointUrl' | 'signingKeys'>, topicAttributes: Record<string, string>): Promise<SnsRendering> {
  const key = await deps.signingKeys.get();
  return { base: deps.endpointUrl(), signer: key.signer(signatureVersionOf(topicAttributes)) };
}
