-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Degree" AS ENUM ('FIRST', 'SECOND');

-- CreateEnum
CREATE TYPE "AccountState" AS ENUM ('NOT_NOTIFIED', 'NOTIFIED', 'ACTIVATING', 'ACTIVATED');

-- CreateEnum
CREATE TYPE "AccountOrigin" AS ENUM ('UNSET', 'SCHOOL', 'SELF', 'FRANCECONNECT');

-- CreateEnum
CREATE TYPE "LinkKind" AS ENUM ('LEGAL', 'IN_CHARGE');

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('DIRECTOR', 'AGENT', 'ADMIN');

-- CreateEnum
CREATE TYPE "TokenKind" AS ENUM ('PASSWORD_RESET_LINK', 'PASSWORD_RESET_CODE', 'PASSWORD_PAGE', 'ACTIVATION_LINK', 'EMAIL_CHANGE_LINK', 'REGISTRATION_CODE', 'REGISTRATION_PAGE');

-- CreateEnum
CREATE TYPE "OutboxChannel" AS ENUM ('EMAIL', 'SMS');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "CaseKind" AS ENUM ('BIRTH_DATE', 'MOBILE', 'REGROUP', 'OTHER');

-- CreateEnum
CREATE TYPE "CaseState" AS ENUM ('OPEN', 'WAITING_REGISTER', 'RESOLVED', 'CLOSED');

-- CreateEnum
CREATE TYPE "StatsScope" AS ENUM ('SCHOOL', 'ACADEMY', 'NATIONAL');

-- CreateTable
CREATE TABLE "School" (
    "uai" VARCHAR(8) NOT NULL,
    "name" TEXT NOT NULL,
    "academy" TEXT NOT NULL,
    "degree" "Degree" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "School_pkey" PRIMARY KEY ("uai")
);

-- CreateTable
CREATE TABLE "SchoolClass" (
    "id" SERIAL NOT NULL,
    "schoolUai" VARCHAR(8) NOT NULL,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,

    CONSTRAINT "SchoolClass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pupil" (
    "id" SERIAL NOT NULL,
    "ine" VARCHAR(11) NOT NULL,
    "lastName" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "searchName" TEXT NOT NULL,
    "birthDate" DATE NOT NULL,
    "schoolUai" VARCHAR(8) NOT NULL,
    "classId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Pupil_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Guardian" (
    "id" SERIAL NOT NULL,
    "identifier" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "searchName" TEXT NOT NULL,
    "email" TEXT,
    "emailConfirmed" BOOLEAN NOT NULL DEFAULT false,
    "mobile" TEXT,
    "mobileConfirmed" BOOLEAN NOT NULL DEFAULT false,
    "state" "AccountState" NOT NULL DEFAULT 'NOT_NOTIFIED',
    "origin" "AccountOrigin" NOT NULL DEFAULT 'UNSET',
    "distributedAt" TIMESTAMP(3),
    "lastAccessAt" TIMESTAMP(3),
    "activatedAt" TIMESTAMP(3),
    "mergedIntoId" INTEGER,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Guardian_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuardianRef" (
    "ref" TEXT NOT NULL,
    "guardianId" INTEGER NOT NULL,

    CONSTRAINT "GuardianRef_pkey" PRIMARY KEY ("ref")
);

-- CreateTable
CREATE TABLE "PupilGuardian" (
    "pupilId" INTEGER NOT NULL,
    "guardianId" INTEGER NOT NULL,
    "kind" "LinkKind" NOT NULL DEFAULT 'LEGAL',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PupilGuardian_pkey" PRIMARY KEY ("pupilId","guardianId")
);

-- CreateTable
CREATE TABLE "Credential" (
    "guardianId" INTEGER NOT NULL,
    "tempPasswordEnc" TEXT,
    "passwordHash" TEXT,
    "isTemporary" BOOLEAN NOT NULL DEFAULT true,
    "passwordChangedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Credential_pkey" PRIMARY KEY ("guardianId")
);

-- CreateTable
CREATE TABLE "Staff" (
    "aadObjectId" TEXT NOT NULL,
    "upn" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "uais" TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Staff_pkey" PRIMARY KEY ("aadObjectId")
);

-- CreateTable
CREATE TABLE "SelfServiceToken" (
    "id" UUID NOT NULL,
    "kind" "TokenKind" NOT NULL,
    "guardianId" INTEGER,
    "tokenHash" TEXT NOT NULL,
    "requestId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "payload" JSONB,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SelfServiceToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitCounter" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RateLimitCounter_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "channel" "OutboxChannel" NOT NULL,
    "recipient" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "subject" TEXT,
    "textBody" TEXT NOT NULL,
    "htmlBody" TEXT,
    "guardianId" INTEGER,
    "batchId" TEXT,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "ownerId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" SERIAL NOT NULL,
    "reference" TEXT NOT NULL,
    "kind" "CaseKind" NOT NULL,
    "state" "CaseState" NOT NULL DEFAULT 'OPEN',
    "schoolUai" VARCHAR(8) NOT NULL,
    "guardianId" INTEGER,
    "pupilId" INTEGER,
    "contactEmail" TEXT,
    "contactMobile" TEXT,
    "summary" TEXT NOT NULL,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "fromState" "CaseState",
    "toState" "CaseState" NOT NULL,
    "note" TEXT,

    CONSTRAINT "CaseEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "guardianId" INTEGER,
    "schoolUai" TEXT,
    "outcome" TEXT NOT NULL,
    "details" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatsSnapshot" (
    "id" SERIAL NOT NULL,
    "scope" "StatsScope" NOT NULL,
    "scopeKey" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "data" JSONB NOT NULL,

    CONSTRAINT "StatsSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BotState" (
    "key" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "etag" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BotState_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ChatConversation" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatConversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatActivity" (
    "conversationId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "activity" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatActivity_pkey" PRIMARY KEY ("conversationId","seq")
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT,
    "leaseEnd" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),

    CONSTRAINT "JobLease_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "School_academy_idx" ON "School"("academy");

-- CreateIndex
CREATE UNIQUE INDEX "SchoolClass_schoolUai_name_key" ON "SchoolClass"("schoolUai", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Pupil_ine_key" ON "Pupil"("ine");

-- CreateIndex
CREATE INDEX "Pupil_schoolUai_classId_idx" ON "Pupil"("schoolUai", "classId");

-- CreateIndex
CREATE INDEX "Pupil_searchName_idx" ON "Pupil"("searchName");

-- CreateIndex
CREATE UNIQUE INDEX "Guardian_identifier_key" ON "Guardian"("identifier");

-- CreateIndex
CREATE INDEX "Guardian_email_idx" ON "Guardian"("email");

-- CreateIndex
CREATE INDEX "Guardian_mobile_idx" ON "Guardian"("mobile");

-- CreateIndex
CREATE INDEX "Guardian_searchName_idx" ON "Guardian"("searchName");

-- CreateIndex
CREATE INDEX "GuardianRef_guardianId_idx" ON "GuardianRef"("guardianId");

-- CreateIndex
CREATE INDEX "PupilGuardian_guardianId_idx" ON "PupilGuardian"("guardianId");

-- CreateIndex
CREATE UNIQUE INDEX "SelfServiceToken_tokenHash_key" ON "SelfServiceToken"("tokenHash");

-- CreateIndex
CREATE INDEX "SelfServiceToken_guardianId_kind_idx" ON "SelfServiceToken"("guardianId", "kind");

-- CreateIndex
CREATE INDEX "SelfServiceToken_requestId_idx" ON "SelfServiceToken"("requestId");

-- CreateIndex
CREATE INDEX "RateLimitCounter_windowStart_idx" ON "RateLimitCounter"("windowStart");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_batchId_idx" ON "OutboxMessage"("batchId");

-- CreateIndex
CREATE INDEX "OutboxMessage_guardianId_idx" ON "OutboxMessage"("guardianId");

-- CreateIndex
CREATE INDEX "StoredFile_expiresAt_idx" ON "StoredFile"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Case_reference_key" ON "Case"("reference");

-- CreateIndex
CREATE INDEX "Case_schoolUai_state_idx" ON "Case"("schoolUai", "state");

-- CreateIndex
CREATE INDEX "Case_guardianId_idx" ON "Case"("guardianId");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_idx" ON "CaseEvent"("caseId");

-- CreateIndex
CREATE INDEX "AuditLog_guardianId_idx" ON "AuditLog"("guardianId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "StatsSnapshot_scope_scopeKey_computedAt_idx" ON "StatsSnapshot"("scope", "scopeKey", "computedAt");

-- AddForeignKey
ALTER TABLE "SchoolClass" ADD CONSTRAINT "SchoolClass_schoolUai_fkey" FOREIGN KEY ("schoolUai") REFERENCES "School"("uai") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pupil" ADD CONSTRAINT "Pupil_schoolUai_fkey" FOREIGN KEY ("schoolUai") REFERENCES "School"("uai") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pupil" ADD CONSTRAINT "Pupil_classId_fkey" FOREIGN KEY ("classId") REFERENCES "SchoolClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guardian" ADD CONSTRAINT "Guardian_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Guardian"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuardianRef" ADD CONSTRAINT "GuardianRef_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PupilGuardian" ADD CONSTRAINT "PupilGuardian_pupilId_fkey" FOREIGN KEY ("pupilId") REFERENCES "Pupil"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PupilGuardian" ADD CONSTRAINT "PupilGuardian_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Credential" ADD CONSTRAINT "Credential_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SelfServiceToken" ADD CONSTRAINT "SelfServiceToken_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_schoolUai_fkey" FOREIGN KEY ("schoolUai") REFERENCES "School"("uai") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_pupilId_fkey" FOREIGN KEY ("pupilId") REFERENCES "Pupil"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseEvent" ADD CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatActivity" ADD CONSTRAINT "ChatActivity_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "ChatConversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

