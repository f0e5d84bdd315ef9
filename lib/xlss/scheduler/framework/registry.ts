import type { Plugin } from "./interfaces";

/**
 * Builds a plugin from its arguments (the profile's `pluginConfig` args, `undefined` if none) and
 * the handle it may use for cluster access. It validates its own args and throws if they are bad.
 */
export type PluginFactory<H> = (args: unknown, handle: H) => Plugin;

/** Plugin name → factory, as kube-scheduler's registry; a name can be registered once. */
export class Registry<H> {
  private readonly factories = new Map<string, PluginFactory<H>>();

  register(name: string, factory: PluginFactory<H>): this {
    if (this.factories.has(name)) throw new Error(`a plugin named ${name} is already registered`);
    this.factories.set(name, factory);
    return this;
  }

  get names(): string[] {
    return [...this.factories.keys()];
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  /** Instantiates the named plugins in order; an unknown name is a configuration error. */
  build(enabled: { name: string; args?: unknown }[], handle: H): Plugin[] {
    return enabled.map(({ name, args }) => {
      const factory = this.factories.get(name);
      if (!factory) throw new Error(`unknown scheduler plugin ${name} (known: ${this.names.join(", ")})`);
      return factory(args, handle);
    });
  }
}

/** The factory of a plugin that takes no args: args given for it are refused rather than ignored. */
export function withoutArgs<H>(build: (handle: H) => Plugin): PluginFactory<H> {
  return (args, handle) => {
    if (args !== undefined) throw new Error("this plugin takes no args");
    return build(handle);
  };
}
