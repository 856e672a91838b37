# The ledger service (see docker-compose.yml to run it with EventStoreDB).
FROM node:20-slim
WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci

# Only what the build reads: the host's node_modules, dist and data stay out.
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY apps ./apps
COPY libs ./libs
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

# The key vault's folder, writable by the unprivileged user the service runs as.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
ENV NODE_ENV=production
EXPOSE 3000
# The launcher sets the memory settings the server is measured with (see bin/ledger-server).
CMD ["bin/ledger-server"]
