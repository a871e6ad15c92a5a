// natural's package root loads storage back-ends and runs dotenv (see STRAPI-NOTES.md), so the
// recommender requires single files, which ship no declarations of their own.
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer' {
  export class WordTokenizer {
    tokenize(text: string): string[];
  }
}

declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const PorterStemmer: { stem(token: string): string };
  export = PorterStemmer;
}

declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
