// SWC strips types without checking them (tsc --noEmit does that in CI) and keeps the
// decorator metadata that Nest's DI and class-validator read at run time.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: {
    '^.+\\.ts$': swc,
    // @fastify/static (the /docs UI on Fastify) needs content-disposition 3, an ES module that
    // jest on Node 20 cannot require: SWC turns it into CommonJS (npm nests it under
    // @fastify/static, hence the pattern below that looks past the first node_modules).
    'node_modules/content-disposition/.+\\.js$': swc,
  },
  transformIgnorePatterns: ['/node_modules/(?!(.*/)?content-disposition/)'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,src}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,src}/**/*.int-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
