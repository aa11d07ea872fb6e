import { InvalidResourceError } from './errors.js';
import { expandEventInvokeConfig } from './event-invoke-config.js';
import { expandEvents } from './events/index.js';
import { attachRole, expandFunctionCore, functionRole } from './function.js';
import { expandFunctionUrl } from './function-url.js';
import { getAtt, isObject, ref, type CfnResource } from './template-model.js';
import { publishAlias } from './version-alias.js';
import type { ExpansionScope } from './expansion-scope.js';

/**
 * AWS::Serverless::Function and everything it stands for, in samtranslator's order: the function,
 * its version and alias, URL, event invoke config, execution role, then one set of resources per event.
 */
export function expandServerlessFunction(scope: ExpansionScope, logicalId: string, resource: CfnResource): void {
  const core = expandFunctionCore(scope, logicalId, resource);
  scope.add(logicalId, logicalId, core.functionResource);
  const alias = publishAlias(scope, core, scope.parameters);
  expandFunctionUrl(scope, core, alias);
  const destinationPolicies = expandEventInvokeConfig(scope, core, alias, resource, scope.parameters);
  const role = functionRole(core, destinationPolicies);
  const roleAdded = attachRole(scope, core, role);
  if (roleAdded) scope.add(logicalId, role.logicalId, role.resource);

  const events = core.properties.Events;
  if (events === undefined || events === null) return;
  if (!isObject(events)) throw new InvalidResourceError(logicalId, "Type of property 'Events' is invalid.");
  const target = alias ? { functionName: ref(alias.logicalId), arn: ref(alias.logicalId) } : { functionName: ref(logicalId), arn: getAtt(logicalId, 'Arn') };
  expandEvents(
    {
      scope,
      functionId: logicalId,
      target,
      inherited: core.inherited,
      // samtranslator hands events the role it built even when the function's Role chose another.
      role: role.resource,
      partition: scope.context.partition,
    },
    events,
  );
  // Policies events add to the role must not leave an empty list behind.
  const roleProperties = role.resource.Properties!;
  if (Array.isArray(roleProperties.Policies) && roleProperties.Policies.length === 0) delete roleProperties.Policies;
}
