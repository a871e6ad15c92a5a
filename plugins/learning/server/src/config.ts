export interface PluginConfig {
  /** users-permissions actions this plugin's routes need, granted by the app's bootstrap. */
  rolePermissions: { public: string[]; authenticated: string[]; instructor: string[] };
}

export default {
  default: (): PluginConfig => ({
    rolePermissions: { public: [], authenticated: [], instructor: [] },
  }),
  validator: (_config: unknown) => {},
};
