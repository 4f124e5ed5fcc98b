# The hotline bot. Node 24 LTS runs the TypeScript sources directly (type stripping): no build step.
FROM node:24-slim

ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
# --omit=dev skips the test tools and the `node` binary package the repo uses on machines with an older Node.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY src ./src
COPY flows ./flows
COPY locales ./locales
COPY data ./data

USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A larger young generation: fewer GC pauses under load (docs/performance.md).
CMD ["node", "--max-semi-space-size=32", "src/cli.ts", "start"]
