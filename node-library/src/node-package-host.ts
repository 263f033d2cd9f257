import Type from "typebox";
import { defineNode } from "./define-node";
import { atLeastOneOf, expression, map, requireKeys, stringEnum, template } from "./fields";

/**
 * What Flowdeck hands a node package's factory (`export default function (flowdeck) { … }`): the very
 * `defineNode`, TypeBox and field builders the built-ins use. A package written against this needs no
 * dependency of its own — not even on `@flowdeck/node-library`, which would otherwise have to resolve from
 * wherever the operator installed the package, and could be a second copy whose definitions this registry does
 * not recognise. Types only: `import type { NodePackageHost } from "@flowdeck/node-library"`.
 */
export interface NodePackageHost {
  readonly defineNode: typeof defineNode;
  readonly Type: typeof Type;
  readonly template: typeof template;
  readonly expression: typeof expression;
  readonly stringEnum: typeof stringEnum;
  readonly map: typeof map;
  readonly atLeastOneOf: typeof atLeastOneOf;
  readonly requireKeys: typeof requireKeys;
}

export const nodePackageHost: NodePackageHost = Object.freeze({
  defineNode,
  Type,
  template,
  expression,
  stringEnum,
  map,
  atLeastOneOf,
  requireKeys,
});
