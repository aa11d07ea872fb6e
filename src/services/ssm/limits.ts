/** SSM Parameter Store limits and defaults, with AWS's values. */
export const TARGET_PREFIX = 'AmazonSSM';
export const SSM_MAX_REQUEST_BYTES = 1024 * 1024;
/** Standard parameters hold up to 4 KB, advanced ones 8 KB (characters, as AWS counts them). */
export const MAX_VALUE_LENGTH_STANDARD = 4096;
export const MAX_VALUE_LENGTH_ADVANCED = 8192;
export const MAX_NAME_LENGTH = 2048;
/** A name may have at most 15 levels of hierarchy. */
export const MAX_HIERARCHY_LEVELS = 15;
/** AWS keeps the last 100 versions of a parameter. */
export const MAX_VERSIONS = 100;
export const MAX_TAGS = 50;
export const MAX_GET_PARAMETERS_NAMES = 10;
export const MAX_RESULTS_BY_PATH = 10;
export const MAX_RESULTS_DESCRIBE = 50;
export const MAX_RESULTS_HISTORY = 50;
export const MAX_DELETE_PARAMETERS_NAMES = 10;
/** SecureString parameters without KeyId use the account's AWS managed key for SSM. */
export const DEFAULT_SECURE_STRING_KEY_ID = 'alias/aws/ssm';
export const PARAMETER_TYPES = ['String', 'StringList', 'SecureString'] as const;
export const PARAMETER_TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'] as const;
export const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'] as const;
