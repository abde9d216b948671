-- 0001: articles with full-text search, one row per article-entity and article-topic,
-- dropped duplicates and dead letters. Applied by `newsbeam db migrate` (pipelines/io/postgres.py),
-- which records it in schema_migrations; never edit an applied migration, add 0002_*.sql instead.

-- Text search configuration for an ISO 639-1 language code ('simple' when we have no stemmer).
-- IMMUTABLE so the generated search column may use it; query with the same function, e.g.
--   WHERE search @@ websearch_to_tsquery(newsbeam_ts_config('en'), 'wildfire')
CREATE FUNCTION newsbeam_ts_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(language)
        WHEN 'ar' THEN 'arabic'::regconfig     WHEN 'hy' THEN 'armenian'::regconfig
        WHEN 'eu' THEN 'basque'::regconfig     WHEN 'ca' THEN 'catalan'::regconfig
        WHEN 'da' THEN 'danish'::regconfig     WHEN 'nl' THEN 'dutch'::regconfig
        WHEN 'en' THEN 'english'::regconfig    WHEN 'fi' THEN 'finnish'::regconfig
        WHEN 'fr' THEN 'french'::regconfig     WHEN 'de' THEN 'german'::regconfig
        WHEN 'el' THEN 'greek'::regconfig      WHEN 'hi' THEN 'hindi'::regconfig
        WHEN 'hu' THEN 'hungarian'::regconfig  WHEN 'id' THEN 'indonesian'::regconfig
        WHEN 'ga' THEN 'irish'::regconfig      WHEN 'it' THEN 'italian'::regconfig
        WHEN 'lt' THEN 'lithuanian'::regconfig WHEN 'ne' THEN 'nepali'::regconfig
        WHEN 'no' THEN 'norwegian'::regconfig  WHEN 'nb' THEN 'norwegian'::regconfig
        WHEN 'nn' THEN 'norwegian'::regconfig  WHEN 'pt' THEN 'portuguese'::regconfig
        WHEN 'ro' THEN 'romanian'::regconfig   WHEN 'ru' THEN 'russian'::regconfig
        WHEN 'sr' THEN 'serbian'::regconfig    WHEN 'es' THEN 'spanish'::regconfig
        WHEN 'sv' THEN 'swedish'::regconfig    WHEN 'ta' THEN 'tamil'::regconfig
        WHEN 'tr' THEN 'turkish'::regconfig    WHEN 'yi' THEN 'yiddish'::regconfig
        ELSE 'simple'::regconfig
    END
$$;

CREATE TABLE articles (
    id                text PRIMARY KEY,
    schema_version    integer NOT NULL,
    url               text,
    outlet            text,
    section           text,
    headline          text NOT NULL,
    standfirst        text,
    authors           text[] NOT NULL DEFAULT '{}',
    published_at      timestamptz,
    updated_at        timestamptz,
    dateline          text,
    language          text,
    body              text NOT NULL,
    captions          text[] NOT NULL DEFAULT '{}',
    photo_credits     text[] NOT NULL DEFAULT '{}',
    agency            text,
    word_count        integer NOT NULL DEFAULT 0,
    body_hash         text NOT NULL DEFAULT '',
    parser            text,
    source            jsonb NOT NULL,
    -- dedupe verdict, flattened for queries; NULL cluster_id when the article had none
    cluster_id        text,
    duplicate_of      text,
    dedupe_similarity double precision,
    dedupe_method     text,
    cluster_size      integer,
    lineage           jsonb,
    -- hash of the whole record: an unchanged replay is a no-op, a changed one updates in place
    record_hash       text NOT NULL,
    first_written_at  timestamptz NOT NULL DEFAULT now(),
    last_written_at   timestamptz NOT NULL DEFAULT now(),
    -- headline ranks above standfirst above body; the body is capped below tsvector's 1 MB limit
    search            tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(newsbeam_ts_config(language), coalesce(headline, '')), 'A')
        || setweight(to_tsvector(newsbeam_ts_config(language), coalesce(standfirst, '')), 'B')
        || setweight(to_tsvector(newsbeam_ts_config(language), left(body, 200000)), 'C')
    ) STORED
);
CREATE INDEX articles_search ON articles USING gin (search);
CREATE INDEX articles_published_at ON articles (published_at);
CREATE INDEX articles_outlet_published_at ON articles (outlet, published_at);
CREATE INDEX articles_cluster_id ON articles (cluster_id);

CREATE TABLE article_entities (
    article_id    text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal       integer NOT NULL,      -- position in the article's entity list
    name          text NOT NULL,         -- canonical full name
    type          text NOT NULL,         -- PERSON | ORG | GPE | LOC | NORP | EVENT | ...
    entity_id     text,                  -- normalised id, e.g. ISO 3166 alpha-2
    mentions      integer NOT NULL,
    salience      double precision NOT NULL,
    surface_forms text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (article_id, ordinal)
);
CREATE INDEX article_entities_type_name ON article_entities (type, name);
CREATE INDEX article_entities_entity_id ON article_entities (entity_id) WHERE entity_id IS NOT NULL;

CREATE TABLE article_topics (
    article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal    integer NOT NULL,
    code       text NOT NULL,            -- IPTC Media Topic, e.g. medtop:11000000
    label      text NOT NULL,
    score      double precision NOT NULL,
    PRIMARY KEY (article_id, ordinal)
);
CREATE INDEX article_topics_code ON article_topics (code, score DESC);

-- No foreign key to articles: the canonical copy may arrive later (streaming) or be kept elsewhere.
CREATE TABLE duplicates (
    id               text PRIMARY KEY,
    schema_version   integer NOT NULL,
    duplicate_of     text NOT NULL,
    cluster_id       text NOT NULL,
    similarity       double precision NOT NULL,
    method           text NOT NULL,
    headline         text,
    outlet           text,
    source           jsonb NOT NULL,
    record_hash      text NOT NULL,
    first_written_at timestamptz NOT NULL DEFAULT now(),
    last_written_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX duplicates_duplicate_of ON duplicates (duplicate_of);
CREATE INDEX duplicates_cluster_id ON duplicates (cluster_id);

-- id: a stable hash of stage, error and source, so replaying the same bad input keeps one row.
CREATE TABLE dead_letters (
    id               text PRIMARY KEY,
    schema_version   integer NOT NULL,
    stage            text NOT NULL,
    error            text NOT NULL,
    message          text NOT NULL,
    source           jsonb NOT NULL,
    raw              text,
    raw_base64       text,
    failed_at        timestamptz,
    record_hash      text NOT NULL,
    first_written_at timestamptz NOT NULL DEFAULT now(),
    last_written_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letters_stage_error ON dead_letters (stage, error);
