/**
 * One Prometheus registry per Strapi instance (`prom-client`), which every plugin adds its own
 * metrics to (the recommender its index, checkout its webhook events); the operations plugin
 * serves it at `/metrics` and adds HTTP, database pool and process metrics. Per instance rather
 * than prom-client's global registry: a test process boots several apps, and each scrape must
 * describe the app it asks.
 */
import type { Core } from '@strapi/strapi';
import { Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';

const registries = new WeakMap<object, Registry>();

/** The registry of this app (created on first use). Metric names start with `kp_`. */
export function metricsRegistry(strapi: Core.Strapi): Registry {
  let registry = registries.get(strapi);
  if (!registry) {
    registry = new Registry();
    registries.set(strapi, registry);
  }
  return registry;
}

function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

/** A gauge in this app's registry (the same one when asked twice, e.g. after a plugin reload). */
export function platformGauge<L extends string>(strapi: Core.Strapi, config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
  const registry = metricsRegistry(strapi);
  return existing<Gauge<L>>(registry, config.name) ?? new Gauge<L>({ ...config, registers: [registry] });
}

export function platformCounter<L extends string>(strapi: Core.Strapi, config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
  const registry = metricsRegistry(strapi);
  return existing<Counter<L>>(registry, config.name) ?? new Counter<L>({ ...config, registers: [registry] });
}

export function platformHistogram<L extends string>(strapi: Core.Strapi, config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
  const registry = metricsRegistry(strapi);
  return existing<Histogram<L>>(registry, config.name) ?? new Histogram<L>({ ...config, registers: [registry] });
}
