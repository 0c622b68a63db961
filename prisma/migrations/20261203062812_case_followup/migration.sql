-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "alertedAt" TIMESTAMP(3),
ADD COLUMN     "chatRefKey" TEXT,
ADD COLUMN     "typedEnc" TEXT;

-- CreateTable
CREATE TABLE "CaseAlertWindow" (
    "schoolUai" VARCHAR(8) NOT NULL,
    "lastSentAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseAlertWindow_pkey" PRIMARY KEY ("schoolUai")
);

-- CreateTable
CREATE TABLE "CaseChatNotice" (
    "id" UUID NOT NULL,
    "caseId" INTEGER NOT NULL,
    "chatRefKey" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "failedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseChatNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CaseChatNotice_sentAt_nextAttemptAt_idx" ON "CaseChatNotice"("sentAt", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Case_alertedAt_schoolUai_idx" ON "Case"("alertedAt", "schoolUai");

-- AddForeignKey
ALTER TABLE "CaseChatNotice" ADD CONSTRAINT "CaseChatNotice_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

