import { cfnErrors } from '../errors.js';
import { expandServerlessTransform, SAM_TRANSFORM, SamTransformError } from '../sam/index.js';
import type { TemplateObject } from './parse.js';
import { declaredTransforms } from './structure.js';

/** The template with its declared transforms applied (the SAM transform; other macros are refused). */
export function applyTransforms(template: TemplateObject, context: { region: string; accountId: string; stackName: string }): TemplateObject {
  const transforms = declaredTransforms(template);
  if (transforms.length === 0) return template;
  const unknown = transforms.filter((t) => t !== SAM_TRANSFORM);
  if (unknown.length > 0) throw cfnErrors.validation(`Template format error: Unrecognized transform ${unknown[0]}: Lambkin runs only ${SAM_TRANSFORM}`);
  try {
    const out = expandServerlessTransform(template, { ...context, partition: 'aws' }) as TemplateObject;
    delete out.Transform;
    return out;
  } catch (err) {
    if (err instanceof SamTransformError) throw cfnErrors.validation(err.message);
    throw err;
  }
}
