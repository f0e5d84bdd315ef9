import type { Plugin } from "./interfaces";

/** Builds a plugin from its (validated) arguments and the handle it may use for cluster access. */
export type PluginFactory<H> = (args: unknown, handle: H) => Plugin;

/** Plugin name → factory, as kube-scheduler's registry; a name can be registered once. */
export class Registry<H> {
  private readonly factories = new Map<string, PluginFactory<H>>();

  register(name: string, factory: PluginFactory<H>): this {
    if (this.factories.has(name)) throw new Error(`a plugin named ${name} is already registered`);
    this.factories.set(name, factory);
    return this;
  }

  /** Instantiates the named plugins in order; an unknown name is a configuration error. */
  build(enabled: { name: string; args?: unknown }[], handle: H): Plugin[] {
    return enabled.map(({ name, args }) => {
      const factory = this.factories.get(name);
      if (!factory) throw new Error(`unknown scheduler plugin ${name} (known: ${[...this.factories.keys()].join(", ")})`);
      return factory(args, handle);
    });
  }
}
