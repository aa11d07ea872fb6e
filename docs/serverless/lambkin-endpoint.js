'use strict';
// A Serverless Framework v3 plugin: copy this file next to serverless.yml and list it under
// `plugins: [./lambkin-endpoint]`. The framework talks to AWS through the AWS SDK for JavaScript v2,
// which ignores AWS_ENDPOINT_URL; this sends every service's requests to that one URL (Lambkin
// answers them all on its port), S3's path-style. Without AWS_ENDPOINT_URL it does nothing, so the
// same service still deploys to AWS.
class LambkinEndpoint {
  constructor(serverless) {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    if (endpoint) serverless.getProvider('aws').sdk.config.update({ endpoint, s3ForcePathStyle: true });
  }
}

module.exports = LambkinEndpoint;
