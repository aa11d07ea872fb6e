import type { Principal } from '../contracts/principal.js';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  /** Who the key speaks for; an account's own key when absent. */
  principal?: Principal;
  /** Temporary credentials only: the SHA-256 of the session token every request must carry. */
  sessionTokenSha256?: string;
}

export interface CredentialSource {
  lookup(accessKeyId: string): Promise<Credential | null>;
}

