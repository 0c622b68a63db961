-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TokenKind" ADD VALUE 'FORCED_CHANGE';
ALTER TYPE "TokenKind" ADD VALUE 'MOBILE_CHANGE_CODE';

-- AlterTable
ALTER TABLE "Guardian" ADD COLUMN     "remindedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Credential" ADD COLUMN     "mustChangeSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Confirmation" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" TEXT,
    "outcome" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),

    CONSTRAINT "Confirmation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Confirmation_expiresAt_idx" ON "Confirmation"("expiresAt");

