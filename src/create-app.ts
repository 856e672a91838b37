import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { LedgerModule, type LedgerModuleOptions } from './ledger.module';
import { setUpOpenApi } from './openapi';

/** The whole ledger as one Nest application; main.ts and the e2e tests both build it here. */
export async function createApp(
  options: LedgerModuleOptions & { quiet?: boolean },
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(LedgerModule.forRoot(options), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: options.config.bodyLimitBytes });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.enableShutdownHooks();
  setUpOpenApi(app);
  return app;
}
