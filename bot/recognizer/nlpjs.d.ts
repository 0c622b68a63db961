// The small part of NLP.js (untyped CommonJS packages) that the recognizer uses.
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
  }
  export function containerBootstrap(): Promise<Container>;
}

declare module '@nlpjs/lang-fr' {
  export const LangFr: unknown;
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';

  export interface NlpClassification {
    intent: string;
    score: number;
  }
  export interface NlpClassifyResult {
    classifications: NlpClassification[];
  }
  export interface NlpSettings {
    languages?: string[];
    autoSave?: boolean;
    autoLoad?: boolean;
    /** Classifier settings by locale then domain ("default": every domain). */
    nlu?: Record<string, Record<string, { className: string; alpha?: number; errorThresh?: number; iterations?: number; log?: boolean }>>;
  }
  export class Nlp {
    constructor(settings: NlpSettings, container: Container);
    addLanguage(locales: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    classify(locale: string, utterance: string, settings?: { spellCheck?: boolean; spellCheckDistance?: number }): Promise<NlpClassifyResult>;
    export(minified?: boolean): string;
    import(data: string): void;
  }
}
