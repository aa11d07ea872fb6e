import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { selfSignedCertificate } from '../src/services/sns/self-signed-certificate.js';
import { SigningKeys, signatureVersionOf, stringToSign } from '../src/services/sns/signing.js';
import { documentedStringToSign, signatureVerifies } from './support/sns-signature.js';

const NOTIFICATION = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-west-2:123456789012:MyTopic',
  Subject: 'My First Message',
  Message: 'Hello world!',
  Timestamp: '2012-05-02T00:54:06.655Z',
};

describe('SNS message signing', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const scratch = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambkin-sns-signing-'));
    dirs.push(dir);
    return dir;
  };

  test('the string to sign is the one AWS documents, for notifications with and without Subject and for confirmations', () => {
    assert.equal(
      stringToSign(NOTIFICATION),
      'Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\nTimestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n',
    );
    assert.equal(stringToSign(NOTIFICATION), documentedStringToSign(NOTIFICATION));
    const bare = { ...NOTIFICATION, Subject: undefined };
    assert.equal(stringToSign(bare), documentedStringToSign(bare));
    assert.doesNotMatch(stringToSign(bare), /Subject/);
    const confirmation = { Type: 'SubscriptionConfirmation', MessageId: 'm', Token: 't', TopicArn: 'arn', Message: 'x', SubscribeURL: 'http://h/?a=b', Timestamp: 'ts' };
    assert.equal(stringToSign(confirmation), documentedStringToSign(confirmation));
  });

  test('SignatureVersion 1 (the default) is SHA1withRSA, 2 is SHA256withRSA', async () => {
    const key = await new SigningKeys(scratch()).get();
    const certificate = new X509Certificate(key.certificatePem);
    for (const version of ['1', '2'] as const) {
      const signed = { ...NOTIFICATION, SignatureVersion: version, Signature: key.signer(version).sign(NOTIFICATION) };
      assert.ok(signatureVerifies(signed, certificate), `version ${version}`);
      assert.ok(!signatureVerifies({ ...signed, SignatureVersion: version === '1' ? '2' : '1' }, certificate), `version ${version} under the other digest`);
    }
    assert.equal(signatureVersionOf({}), '1');
    assert.equal(signatureVersionOf({ SignatureVersion: '2' }), '2');
  });

  test('the key is made once per data directory and kept: a second start signs with the same key', async () => {
    const dir = scratch();
    const first = await new SigningKeys(dir).get();
    const again = await new SigningKeys(dir).get();
    assert.equal(again.certificatePem, first.certificatePem);
    const signature = first.signer('2').sign(NOTIFICATION);
    assert.equal(again.signer('2').sign(NOTIFICATION), signature, 'PKCS#1 v1.5 signatures are deterministic: same key, same signature');
    assert.equal(statSync(path.join(dir, 'signing-key.pem')).mode & 0o777, 0o600);
  });

  const certificatePem = (notBefore: Date, notAfter: Date) => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { publicKey, pem: selfSignedCertificate({ commonName: 'sns.amazonaws.com', privateKey, publicKey, notBefore, notAfter }) };
  };

  test('the certificate is a self-signed X.509 certificate for sns.amazonaws.com, with dates on both sides of 2050', () => {
    // UTCTime before 2050, GeneralizedTime from 2050 on.
    const { pem, publicKey } = certificatePem(new Date('2026-01-02T03:04:05Z'), new Date('2061-06-07T08:09:10Z'));
    const certificate = new X509Certificate(pem);
    assert.equal(certificate.subject, 'CN=sns.amazonaws.com');
    assert.equal(certificate.issuer, 'CN=sns.amazonaws.com');
    assert.ok(certificate.verify(publicKey), 'signed by its own key');
    assert.ok(certificate.publicKey.equals(publicKey));
    assert.equal(new Date(certificate.validFrom).toISOString(), '2026-01-02T03:04:05.000Z');
    assert.equal(new Date(certificate.validTo).toISOString(), '2061-06-07T08:09:10.000Z');
  });

  const opensslMissing = spawnSync('openssl', ['version']).status !== 0;
  test('OpenSSL reads it as a v3 sha256WithRSAEncryption certificate for signatures only, and verifies it', { skip: opensslMissing && 'openssl is not installed (Debian package openssl)' }, () => {
    const { pem } = certificatePem(new Date(Date.now() - 3600_000), new Date(Date.now() + 3600_000));
    const file = path.join(scratch(), 'cert.pem');
    writeFileSync(file, pem);
    const text = spawnSync('openssl', ['x509', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Version: 3 \(0x2\)/);
    assert.match(text.stdout, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text.stdout, /X509v3 Key Usage: critical\s+Digital Signature\s/);
    const verified = spawnSync('openssl', ['verify', '-CAfile', file, file], { encoding: 'utf8' });
    assert.equal(verified.stdout.trim(), `${file}: OK`, verified.stderr);
  });
});
