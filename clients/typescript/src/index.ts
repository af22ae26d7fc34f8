// The LockIN API client for the app: openapi-fetch over the types that
// openapi-typescript generates from the OpenAPI document (src/schema.d.ts,
// regenerated with `npm run generate`; never edit it by hand).
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };

/** The JSON bodies of the API by name, e.g. `Schemas["Profile"]`. */
export type Schemas = components["schemas"];
/** The problem+json body of every error answer (RFC 9457). */
export type Problem = Schemas["Problem"];

export interface LockinClientOptions {
  /** Where the API is, e.g. "https://api.example.com" (paths start with /api). */
  baseUrl: string;
  /**
   * The caller's Cognito access (or id) token, or a function returning the
   * current one (called on every request, so a refreshed token is used).
   */
  token: string | (() => string | Promise<string>);
  /** Another fetch (tests, React Native polyfills); default: the global one. */
  fetch?: typeof globalThis.fetch;
}

export type LockinClient = Client<paths>;

/**
 * A client whose every call sends `Authorization: Bearer <token>`, and echoes
 * the last `LockIN-Read-After` an answer gave it (read-your-writes when the
 * deployment reads from replicas: its reads show its own writes).
 */
export function createLockinClient(options: LockinClientOptions): LockinClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const bearer: Middleware = {
    async onRequest({ request }) {
      const token = typeof options.token === "function" ? await options.token() : options.token;
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
  let readAfter: string | null = null;
  const readYourWrites: Middleware = {
    async onRequest({ request }) {
      if (readAfter !== null) request.headers.set("LockIN-Read-After", readAfter);
      return request;
    },
    async onResponse({ response }) {
      const position = response.headers.get("LockIN-Read-After");
      if (position !== null) readAfter = position;
      return response;
    },
  };
  client.use(bearer);
  client.use(readYourWrites);
  return client;
}
