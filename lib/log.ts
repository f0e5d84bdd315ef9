import pino from "pino";

/**
 * The one logger: JSON lines with a fixed message and key/value fields. Components take a child
 * (`log.child({ component: "xlss-provisioner" })`). Fields that may hold credentials are redacted
 * wherever they appear.
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  redact: {
    paths: ["token", "password", "*.token", "*.password", "*.authorization", "*.Authorization"],
    censor: "[redacted]",
  },
});
