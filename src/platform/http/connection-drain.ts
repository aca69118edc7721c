import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/**
 * Graceful shutdown of HTTP: from SIGTERM on, every response tells its client to close the
 * connection, so keep-alive connections end with the requests in progress instead of holding
 * the server open (the server already closes idle ones and answers new requests with 503).
 */
@Injectable()
export class ConnectionDrain implements BeforeApplicationShutdown {
  draining = false;

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}
