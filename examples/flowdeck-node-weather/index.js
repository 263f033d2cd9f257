// A Flowdeck node package: a default-exported factory that receives Flowdeck's own builders (defineNode,
// TypeBox, field helpers), so the package needs no dependency of its own. See README.md.
import { weatherExecutor } from "./weather-executor.js";

export const DEFAULT_SERVICE_URL = "https://wttr.in";

/** @param {import("@flowdeck/node-library").NodePackageHost} flowdeck */
export default function weatherNodes({ defineNode, Type, template, stringEnum }) {
  // Version 1 called the place `city`; version 2 renamed it to `location` (it also takes postcodes and
  // coordinates). The migration keeps flows written for version 1 working.
  const weather = defineNode({
    type: "acme.weather",
    version: 2,
    meta: {
      title: "Weather",
      category: "tools",
      icon: "cloud-sun",
      description: "Looks up the current weather and forecast for a place.",
      docs:
        "Returns `{ location, temperature, conditions, forecast }` for `location`, e.g. to warn a customer " +
        "about delivery delays. `temperature` is in °C (`units: metric`) or °F (`imperial`); `forecast` has one " +
        "entry per day (`date`, `min`, `max`, `conditions`). Leaves by `error` when the service fails.",
      tags: ["weather", "forecast"],
    },
    config: Type.Object(
      {
        location: template({
          maxLength: 200,
          title: "Location",
          description: "City, postcode or latitude,longitude to look up.",
        }),
        units: Type.Optional(
          stringEnum(["metric", "imperial"], {
            default: "metric",
            title: "Units",
            description: "Celsius, or Fahrenheit.",
          }),
        ),
        days: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 3,
            default: 1,
            title: "Days",
            description: "Days of forecast to include (the service gives at most 3).",
          }),
        ),
        service_url: Type.Optional(
          Type.String({
            pattern: "^https?://",
            maxLength: 200,
            default: DEFAULT_SERVICE_URL,
            title: "Service URL",
            description:
              "A wttr.in-compatible service. A private address must be on the workspace's HTTP allow-list.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    migrations: {
      1: ({ city, ...rest }) => (city === undefined ? rest : { ...rest, location: city }),
    },
    examples: [{ location: "{{ nodes.find_order.output.order.shipping_city }}", units: "metric", days: 3 }],
  });
  return { nodes: [weather], executors: { "acme.weather": weatherExecutor } };
}
