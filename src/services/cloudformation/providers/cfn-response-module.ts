/**
 * The `cfn-response` module CloudFormation puts beside inline (`ZipFile`) Node.js code, so custom
 * resource handlers can `require('cfn-response')`: `send(event, context, status, data,
 * physicalResourceId, noEcho, reason)` PUTs the response to the event's presigned `ResponseURL`.
 * Written for Lambkin with the same interface; it resolves when the response is stored.
 */
export const CFN_RESPONSE_JS = `'use strict';
const http = require('http');
const https = require('https');
exports.SUCCESS = 'SUCCESS';
exports.FAILED = 'FAILED';
exports.send = function (event, context, responseStatus, responseData, physicalResourceId, noEcho, reason) {
  const body = JSON.stringify({
    Status: responseStatus,
    Reason: reason || ('See the details in CloudWatch Log Stream: ' + (context && context.logStreamName)),
    PhysicalResourceId: physicalResourceId || (context && context.logStreamName),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: noEcho || false,
    Data: responseData,
  });
  const url = new URL(event.ResponseURL);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (context && typeof context.done === 'function') context.done();
        resolve();
      });
    });
    req.on('error', (err) => {
      console.log('send(..) failed executing https.request(..): ' + err);
      if (context && typeof context.done === 'function') context.done();
      resolve();
    });
    req.end(body);
  });
};
`;
