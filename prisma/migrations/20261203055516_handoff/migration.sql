-- CreateEnum
CREATE TYPE "HandoffState" AS ENUM ('WAITING', 'CLAIMED', 'AWAITING_CONTACT', 'CALLBACK', 'ENDED', 'CANCELLED', 'ABANDONED');

-- CreateTable
CREATE TABLE "ConversationRef" (
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "serviceUrl" TEXT NOT NULL,
    "tenantId" TEXT,
    "staffId" TEXT,
    "reference" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationRef_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "HandoffRequest" (
    "id" SERIAL NOT NULL,
    "conversationKey" TEXT NOT NULL,
    "state" "HandoffState" NOT NULL,
    "question" TEXT NOT NULL,
    "note" TEXT,
    "verification" TEXT NOT NULL,
    "disclosed" TEXT,
    "guardianId" INTEGER,
    "transcript" JSONB NOT NULL,
    "threadId" TEXT,
    "cardActivityId" TEXT,
    "agentStaffId" TEXT,
    "agentName" TEXT,
    "claimedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "contactEmail" TEXT,
    "contactMobile" TEXT,
    "satisfaction" INTEGER,
    "comment" TEXT,
    "ratedAt" TIMESTAMP(3),
    "lastParentActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "relayLeaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HandoffRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HandoffMessage" (
    "id" SERIAL NOT NULL,
    "requestId" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HandoffMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignalEvent" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignalEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConversationRef_staffId_idx" ON "ConversationRef"("staffId");

-- CreateIndex
CREATE INDEX "HandoffRequest_state_createdAt_idx" ON "HandoffRequest"("state", "createdAt");

-- CreateIndex
CREATE INDEX "HandoffRequest_threadId_idx" ON "HandoffRequest"("threadId");

-- CreateIndex
CREATE INDEX "HandoffRequest_conversationKey_state_idx" ON "HandoffRequest"("conversationKey", "state");

-- CreateIndex
CREATE INDEX "HandoffMessage_requestId_sentAt_idx" ON "HandoffMessage"("requestId", "sentAt");

-- CreateIndex
CREATE INDEX "HandoffMessage_sentAt_nextAttemptAt_idx" ON "HandoffMessage"("sentAt", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "HandoffMessage" ADD CONSTRAINT "HandoffMessage_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "HandoffRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- One active request per parent conversation (a parent who asks twice gets the same one).
CREATE UNIQUE INDEX "HandoffRequest_one_active_per_conversation" ON "HandoffRequest"("conversationKey") WHERE "state" IN ('WAITING', 'CLAIMED', 'AWAITING_CONTACT');
