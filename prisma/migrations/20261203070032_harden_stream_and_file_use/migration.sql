-- AlterTable
ALTER TABLE "ChatConversation" ADD COLUMN     "streamId" TEXT;

-- AlterTable
ALTER TABLE "StoredFile" ADD COLUMN     "downloadedAt" TIMESTAMP(3);

