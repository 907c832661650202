// A CSV tokenizer that keeps its state between chunks, so every character is looked at once
// whatever the length of a field (a parser that re-reads an unfinished record from its
// start on each chunk is quadratic on one long quoted field). Quotes as RFC 4180, and
// relaxed like Excel: a quote inside an unquoted field is a plain character, text after a
// closing quote is kept, and an unterminated quote runs to the end of the file. A quoted
// line break stays inside its field; a CR is dropped only before LF or at the end.
enum Mode {
  FieldStart,
  Unquoted,
  Quoted,
  // a quote seen inside a quoted field: doubled, or the field's closing quote
  QuotedQuote,
}

export class CsvTokenizer {
  private mode = Mode.FieldStart;
  private fields: string[] = [];
  private field = '';
  private pendingCr = false;
  // characters taken since the last record ended (the last line needs no line break)
  private recordChars = 0;
  private touched = false;
  private failure: RecordTooLongError | null = null;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    // a record longer than this (in characters) stops the reader: one field of many
    // megabytes is not a registry row, and it would be held in memory whole
    private readonly maxRecordChars = Number.POSITIVE_INFINITY,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  private take(piece: string) {
    this.recordChars += piece.length;
    if (this.recordChars > this.maxRecordChars) throw new RecordTooLongError(this.maxRecordChars);
    this.field += piece;
  }

  private endField() {
    this.fields.push(this.field);
    this.field = '';
    this.mode = Mode.FieldStart;
  }

  private endRecord(out: string[][]) {
    this.endField();
    out.push(this.fields);
    this.fields = [];
    this.recordChars = 0;
    this.touched = false;
  }

  // Feeds one chunk of decoded text; answers the records it completed. A record past the
  // limit throws once the records completed before it are handed out.
  push(text: string): string[][] {
    if (this.failure) throw this.failure;
    const out: string[][] = [];
    try {
      this.consume(text, out);
    } catch (error) {
      if (!(error instanceof RecordTooLongError) || out.length === 0) throw error;
      this.failure = error;
    }
    return out;
  }

  private consume(text: string, out: string[][]) {
    const length = text.length;
    let i = 0;
    if (length > 0) this.touched = true;
    if (this.pendingCr && length > 0) {
      this.pendingCr = false;
      if (text.charCodeAt(0) === 10) {
        this.endRecord(out);
        i = 1;
        if (i < length) this.touched = true;
      } else {
        if (this.mode === Mode.FieldStart) this.mode = Mode.Unquoted;
        this.take('\r');
      }
    }
    while (i < length) {
      switch (this.mode) {
        case Mode.FieldStart:
          if (text.charCodeAt(i) === 34) {
            this.mode = Mode.Quoted;
            i++;
          } else {
            this.mode = Mode.Unquoted;
          }
          break;
        case Mode.Unquoted: {
          let j = i;
          let c = 0;
          for (; j < length; j++) {
            c = text.charCodeAt(j);
            if (c === this.delimiter || c === 10 || c === 13) break;
          }
          if (j > i) this.take(text.slice(i, j));
          if (j >= length) {
            i = j;
            break;
          }
          if (c === this.delimiter) {
            this.endField();
            i = j + 1;
          } else if (c === 10) {
            this.endRecord(out);
            i = j + 1;
            this.touched = i < length;
          } else if (j + 1 >= length) {
            // a CR at the end of the chunk: the next one tells whether a LF follows
            this.pendingCr = true;
            i = j + 1;
          } else if (text.charCodeAt(j + 1) === 10) {
            this.endRecord(out);
            i = j + 2;
            this.touched = i < length;
          } else {
            this.take('\r');
            i = j + 1;
          }
          break;
        }
        case Mode.Quoted: {
          const q = text.indexOf('"', i);
          if (q === -1) {
            this.take(text.slice(i));
            i = length;
          } else {
            if (q > i) this.take(text.slice(i, q));
            this.mode = Mode.QuotedQuote;
            i = q + 1;
          }
          break;
        }
        case Mode.QuotedQuote:
          if (text.charCodeAt(i) === 34) {
            this.take('"');
            this.mode = Mode.Quoted;
            i++;
          } else {
            this.mode = Mode.Unquoted;
          }
          break;
      }
    }
  }

  // The end of the text: the last record, when it has no line break after it.
  end(): string[][] {
    if (this.failure) throw this.failure;
    const out: string[][] = [];
    this.pendingCr = false;
    if (this.touched) this.endRecord(out);
    return out;
  }
}

export class RecordTooLongError extends Error {
  constructor(readonly maxChars: number) {
    super(`a record is longer than ${maxChars} characters`);
  }
}
