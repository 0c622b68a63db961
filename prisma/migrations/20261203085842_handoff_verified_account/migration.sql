-- AlterTable
ALTER TABLE "HandoffRequest" ADD COLUMN     "claimConfirmation" UUID;

-- CreateTable
CREATE TABLE "ChatVerification" (
    "conversationKey" TEXT NOT NULL,
    "guardianId" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatVerification_pkey" PRIMARY KEY ("conversationKey")
);

-- CreateIndex
CREATE INDEX "ChatVerification_verifiedAt_idx" ON "ChatVerification"("verifiedAt");

