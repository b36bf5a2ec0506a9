# Keymint's image: built in one stage (all dependencies, tsc), run from another with production
# dependencies only. `docker build -t keymint .` / `podman build -t keymint .`; see README "Container image".

FROM node:22-slim AS build
# better-sqlite3 downloads a prebuilt binary; these build it from source when it cannot.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# Dependencies exactly as locked (their install scripts build better-sqlite3; our own `prepare` is skipped
# here and the build runs explicitly: the server to dist/, the dashboard to web/dist), then the dev
# dependencies (TypeScript, tsx, the test tools) are dropped.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
RUN npm run build
# --ignore-scripts: pruning otherwise runs the SDK workspace's `prepare` (tsc), which it has just removed. The
# workspaces' links (SDK, dashboard sources) would point outside the runtime stage: the server needs neither.
RUN npm prune --omit=dev --ignore-scripts && rm -r node_modules/@keymint

FROM node:22-slim
ENV NODE_ENV=production \
    KEYMINT_HOST=0.0.0.0 \
    KEYMINT_PORT=8080 \
    KEYMINT_DATABASE_URL=sqlite:/data/keymint.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
# The dashboard (`npm run build` builds web/ into web/dist too); src/surfaces/dashboard.ts finds it beside dist/.
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/node_modules ./node_modules
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.KEYMINT_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli.js", "serve"]
