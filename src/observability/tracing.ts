// Optional OpenTelemetry traces of HTTP requests (@fastify/otel), exported over OTLP/HTTP (JSON). Off unless
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: the SDK is imported only then,
// so a node without it loads none of it and adds no hook to any request (the verify hot path pays nothing).
// The exporter reads the other standard variables itself (OTEL_EXPORTER_OTLP_HEADERS, ..._TIMEOUT, OTEL_BSP_*).
import type { FastifyPluginCallback } from 'fastify';

export interface Tracing {
  /** Registered first in the app, so every route and hook after it is traced. */
  plugin: FastifyPluginCallback;
  /** Sends the spans still buffered. */
  shutdown(): Promise<void>;
}

export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<Tracing | null> {
  if (!tracingEnabled(env)) return null;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, otel] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@fastify/otel'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'keymint' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The global context manager (AsyncLocalStorage) and W3C trace-context propagation: a caller's traceparent is continued.
  provider.register();
  const instrumentation = new otel.FastifyOtelInstrumentation();
  instrumentation.setTracerProvider(provider);
  return { plugin: instrumentation.plugin(), shutdown: () => provider.shutdown() };
}
