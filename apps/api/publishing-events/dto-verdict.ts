import {
  ValidationTypes,
  getMetadataStorage,
  type ValidationArguments,
  type ValidatorOptions,
} from 'class-validator';

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

/**
 * Whether `validateSync` would find nothing wrong with a DTO holding these fields, decided from
 * the DTO's own class-validator metadata: the same decorators, conditions and constraint
 * instances, read once per class instead of on every call.
 *
 * Why: `validateSync` rescans the metadata of every DTO class of the application and builds a
 * ValidationError per property, even for a valid object: about 40 µs per event of a
 * `POST /v1/events` batch (measured with bench/publish-pipeline-cpu.ts), most of the request's
 * validation. Valid bodies are the common case, so only they take this path: a `false` here
 * sends the caller to `validateSync`, which then writes every problem as before. The verdict
 * may only err towards `false`, so a DTO using anything this does not reproduce (nested
 * validation, `@IsDefined`, `each`, groups, async constraints, skip options) always answers
 * `false`.
 */
export type DtoVerdict = (fields: Readonly<Record<string, unknown>>) => boolean;

interface PropertyPlan {
  readonly name: string;
  readonly conditions: ReadonlyArray<(object: object, value: unknown) => boolean>;
  readonly constraints: ReadonlyArray<{ metadata: ValidationMetadata; validate: Validate }>;
}

type Validate = (value: unknown, args: ValidationArguments) => unknown;

const SUPPORTED_OPTIONS = new Set(['whitelist', 'forbidNonWhitelisted', 'forbidUnknownValues']);

export function dtoVerdict(dto: new () => object, options: ValidatorOptions): DtoVerdict {
  const plan = planOf(dto, options);
  if (plan === undefined) return () => false;
  const { properties, allowed, targetName } = plan;

  return (fields) => {
    for (const key of Object.keys(fields)) if (!allowed.has(key)) return false;
    for (const property of properties) {
      // A missing field reads as undefined, as on the DTO instance `validateSync` is given.
      const value = Object.hasOwn(fields, property.name) ? fields[property.name] : undefined;
      // Every condition is evaluated, as class-validator does, before any constraint. They get
      // the plain fields where class-validator gives the DTO instance: same own values.
      let checked = true;
      for (const condition of property.conditions) checked = condition(fields, value) && checked;
      if (!checked) continue;
      for (const { metadata, validate } of property.constraints) {
        const args: ValidationArguments = {
          targetName,
          property: property.name,
          object: fields,
          value,
          constraints: metadata.constraints,
        };
        if (validate(value, args) !== true) return false;
      }
    }
    return true;
  };
}

function planOf(dto: new () => object, options: ValidatorOptions) {
  const unsupportedOption = Object.entries(options).some(
    ([name, value]) => !SUPPORTED_OPTIONS.has(name) && name !== 'validationError' && value,
  );
  // Without the whitelist an unknown field passes; this only knows the whitelisted behaviour.
  if (unsupportedOption || options.whitelist !== true || options.forbidNonWhitelisted !== true) {
    return undefined;
  }
  const storage = getMetadataStorage();
  // The arguments `validateSync` itself passes when no groups are given.
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false, undefined);
  if (metadatas.length === 0 && options.forbidUnknownValues !== false) return undefined;

  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of metadatas) {
    if (metadata.each || (metadata.groups?.length ?? 0) > 0 || metadata.always) return undefined;
    byProperty.set(metadata.propertyName, [
      ...(byProperty.get(metadata.propertyName) ?? []),
      metadata,
    ]);
  }
  const properties: PropertyPlan[] = [];
  for (const [name, own] of byProperty) {
    const conditions: PropertyPlan['conditions'][number][] = [];
    const constraints: Array<{ metadata: ValidationMetadata; validate: Validate }> = [];
    for (const metadata of own) {
      if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        conditions.push(metadata.constraints[0] as PropertyPlan['conditions'][number]);
      } else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION) {
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return undefined;
          const instance = constraint.instance;
          constraints.push({ metadata, validate: (value, args) => instance.validate(value, args) });
        }
      } else {
        return undefined;
      }
    }
    properties.push({ name, conditions, constraints });
  }
  return { properties, allowed: new Set(byProperty.keys()), targetName: dto.name };
}
