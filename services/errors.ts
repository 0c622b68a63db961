// Errors the services raise on purpose. `userMessage` is French, polite and safe to show
// as is (it never reveals whether an account exists); `message` is for logs.

export type ServiceErrorCode = 'forbidden' | 'not_found' | 'invalid' | 'rate_limited' | 'conflict' | 'expired';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    readonly userMessage: string,
    message: string = userMessage,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const forbidden = (detail: string): ServiceError => new ServiceError('forbidden', "Vous n'avez pas accès à ce compte ou à cet établissement.", detail);

export const notFound = (detail: string): ServiceError => new ServiceError('not_found', "Nous n'avons rien trouvé qui corresponde à votre demande.", detail);

export const invalid = (userMessage: string, detail?: string): ServiceError => new ServiceError('invalid', userMessage, detail);
