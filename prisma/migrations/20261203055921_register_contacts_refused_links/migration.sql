-- AlterTable
ALTER TABLE "Guardian" ADD COLUMN     "registerEmail" TEXT,
ADD COLUMN     "registerMobile" TEXT;

-- CreateTable
CREATE TABLE "RefusedLink" (
    "pupilId" INTEGER NOT NULL,
    "guardianId" INTEGER NOT NULL,
    "kind" "LinkKind" NOT NULL DEFAULT 'LEGAL',
    "refusedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefusedLink_pkey" PRIMARY KEY ("pupilId","guardianId")
);

-- CreateIndex
CREATE INDEX "RefusedLink_guardianId_idx" ON "RefusedLink"("guardianId");

-- AddForeignKey
ALTER TABLE "RefusedLink" ADD CONSTRAINT "RefusedLink_pupilId_fkey" FOREIGN KEY ("pupilId") REFERENCES "Pupil"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefusedLink" ADD CONSTRAINT "RefusedLink_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Until now the nightly import wrote the register's contacts into the account's: they are
-- the register's copy as far as anyone can tell (confirmed ones stay the account's anyway).
UPDATE "Guardian" SET "registerEmail" = email, "registerMobile" = mobile;
