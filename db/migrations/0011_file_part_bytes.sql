-- Upload parts are halved to 8 chunks (web/protocol/file-lengths.ts FILE_PART_CHUNKS) so a part's
-- request stays inside a Worker's CPU budget. Each file keeps the part size it was declared with:
-- the files already here were declared with 16-chunk parts (1 048 832 bytes), the default.
ALTER TABLE `files` ADD `part_bytes` integer DEFAULT 1048832 NOT NULL;