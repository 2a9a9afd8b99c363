import {
  GraphQLError,
  Kind,
  getNamedType,
  isObjectType,
  isInterfaceType,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../paging.js';

/** Deepest nesting of fields an operation may have (`{ me { id } }` is 2). */
export const MAX_DEPTH = 12;
/** Most nodes an operation may be estimated to answer (each field counts once per parent it is answered for). */
export const MAX_NODES = 10_000;

/** Arguments that set how many items a list field answers. */
const PAGE_ARGUMENTS = new Set(['first', 'last', 'limit']);

/**
 * A validation rule: refuses operations nested deeper than `maxDepth` fields (fragments are followed;
 * introspection fields are not counted, tools need their deep `ofType` chains).
 */
export function depthLimit(maxDepth = MAX_DEPTH): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const depthOf = (selectionSet: SelectionSetNode, seen: ReadonlySet<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          const below = selection.selectionSet ? depthOf(selection.selectionSet, seen) : 0;
          deepest = Math.max(deepest, 1 + below);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          // unknown and cyclic fragments are reported by graphql's own rules
          if (!fragment || seen.has(name)) continue;
          deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, name])));
        }
        if (deepest > maxDepth) return deepest;
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(
              `The query is nested ${depth} fields deep; the limit is ${maxDepth}. Ask for less at once.`,
              { nodes: [operation], extensions: { limit: 'depth', maxDepth } },
            ),
          );
        }
      },
    };
  };
}

/**
 * Estimates how many nodes an operation answers: every field counts once for each parent item it
 * is answered for, and a field with a page argument (`first`, `last`, `limit`: the literal, the
 * variable's value, else the argument's default) multiplies what is below it by that size. Returns
 * the errors to refuse it with: a page larger than MAX_PAGE_SIZE is BAD_USER_INPUT naming the
 * argument, an estimate over MAX_NODES is GRAPHQL_VALIDATION_FAILED. Run it after validation.
 */
export function costErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: { maxPageSize?: number; maxNodes?: number } = {},
): GraphQLError[] {
  const maxPageSize = limits.maxPageSize ?? MAX_PAGE_SIZE;
  const maxNodes = limits.maxNodes ?? MAX_NODES;
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const operation = operationName
    ? operations.find((candidate) => candidate.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return [];
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return [];

  const errors: GraphQLError[] = [];
  let nodes = 0;
  const walk = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLNamedType,
    multiplier: number,
    seen: ReadonlySet<string>,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (nodes > maxNodes || errors.length) return;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parentType;
        walk(selection.selectionSet, type ?? parentType, multiplier, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? parentType;
        walk(fragment.selectionSet, type, multiplier, new Set([...seen, fragment.name.value]));
        continue;
      }
      if (selection.name.value.startsWith('__')) continue;
      nodes += multiplier;
      const field = fieldOf(parentType, selection.name.value);
      if (!field || !selection.selectionSet) continue;
      let childMultiplier = multiplier;
      for (const argument of field.args) {
        if (!PAGE_ARGUMENTS.has(argument.name)) continue;
        const given = selection.arguments?.find((node) => node.name.value === argument.name);
        const value = given
          ? valueFromAST(given.value, argument.type, variables ?? {})
          : argument.defaultValue;
        if (typeof value !== 'number') continue;
        if (value < 0 || value > maxPageSize) {
          errors.push(
            new GraphQLError(
              `"${argument.name}" of ${selection.name.value} must be 0 to ${maxPageSize} (got ${value}); page through larger lists`,
              { nodes: [selection], extensions: { code: 'BAD_USER_INPUT', field: argument.name } },
            ),
          );
          return;
        }
        childMultiplier = multiplier * Math.max(value, 1);
      }
      walk(selection.selectionSet, getNamedType(field.type), childMultiplier, seen);
    }
  };
  walk(operation.selectionSet, root, 1, new Set());
  if (errors.length) return errors;
  if (nodes > maxNodes) {
    return [
      new GraphQLError(
        `The query could answer more than ${maxNodes} items; ask for smaller pages or fewer fields`,
        { nodes: [operation], extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', maxNodes } },
      ),
    ];
  }
  return [];
}

/** The field of an object or interface type (a union has none but __typename). */
function fieldOf(type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}
