import type { RegistryRoute } from './routes.js';

/**
 * The IAM action ECR checks for each registry request (ECR's "required IAM permissions" for
 * pushing and pulling images); null where it checks none beyond the login (`/v2/`).
 */
export function registryAction(route: RegistryRoute, method: string): string | null {
  switch (route.kind) {
    case 'tags':
      return 'ecr:ListImages';
    case 'manifest':
      if (method === 'PUT') return 'ecr:PutImage';
      if (method === 'DELETE') return 'ecr:BatchDeleteImage';
      return 'ecr:BatchGetImage';
    case 'uploads':
      return 'ecr:InitiateLayerUpload';
    case 'upload':
      return method === 'PUT' ? 'ecr:CompleteLayerUpload' : 'ecr:UploadLayerPart';
    case 'blob':
      return method === 'HEAD' ? 'ecr:BatchCheckLayerAvailability' : 'ecr:GetDownloadUrlForLayer';
    default:
      return null;
  }
}
