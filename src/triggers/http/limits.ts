/** Function URL request bodies: the synchronous Invoke limit (6 MB). */
export const FUNCTION_URL_MAX_REQUEST_BYTES = 6_291_456;
/** ALB: 1 MB request body and 1 MB response JSON for Lambda targets. */
export const ALB_MAX_REQUEST_BYTES = 1_048_576;
export const ALB_MAX_RESPONSE_BYTES = 1_048_576;
/** HTTP APIs: 10 MB payload, 30 s integration timeout. */
export const HTTP_API_MAX_REQUEST_BYTES = 10_485_760;
/** REST APIs: 10 MB payload. */
export const REST_API_MAX_REQUEST_BYTES = 10_485_760;
