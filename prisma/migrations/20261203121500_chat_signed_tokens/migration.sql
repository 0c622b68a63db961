-- Web chat bearer tokens are signed (bot/directline/signing.ts) and no longer stored.
-- DropIndex
DROP INDEX "ChatConversation_tokenHash_idx";

-- AlterTable
ALTER TABLE "ChatConversation" DROP COLUMN "tokenHash";
