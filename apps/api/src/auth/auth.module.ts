import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AUTH_SETTINGS, AuthSettings } from './auth-settings';

/** Token verification for every route: the settings and the global guard. */
@Module({})
export class AuthModule {
  static forRoot(settings: AuthSettings): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_SETTINGS, useValue: settings },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_SETTINGS],
    };
  }
}
